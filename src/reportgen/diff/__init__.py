"""Diff: what changed between two drafts, as data and as a redline summary."""
