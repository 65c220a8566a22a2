"""``feast.transformation``: an on-demand feature view's transform as an object."""
