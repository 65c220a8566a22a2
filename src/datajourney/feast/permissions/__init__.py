"""``feast.permissions``: Feast's permission names, enforced through ``datajourney.access``.

``FeatureStore.apply([Permission(...)])`` puts each permission into the access policy (see
docs/governance.md, "Feast permissions"); the library then enforces it on every call, not only
in a server.
"""
