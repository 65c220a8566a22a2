"""TFDV's anomalies protos that datajourney provides."""
