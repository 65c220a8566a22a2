"""TFDV's ``version`` module: the TFDV release whose API ``datajourney.tfdv`` follows."""

__version__ = "1.16.1"
