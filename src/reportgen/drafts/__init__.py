"""Drafts: the numbered draft folders, their records, and the earlier drafts read back."""
