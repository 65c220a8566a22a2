"""The HTTP store backend: ``MetadataStore("http://host:port")`` on a ``datajourney serve``."""
