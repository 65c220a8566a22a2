"""The ml-metadata release whose API and database layout the drop-in matches."""

__version__ = "1.17.1"
