"""TFDV's ``tensorflow_data_validation.utils`` modules that have datajourney counterparts."""
