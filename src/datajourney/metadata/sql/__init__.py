"""SQL persistence of the metadata store (SQLAlchemy Core over MLMD schema v10)."""
