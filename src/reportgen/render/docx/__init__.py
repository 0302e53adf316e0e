"""The Word paper: the secretariat's template filled with the paper model."""
