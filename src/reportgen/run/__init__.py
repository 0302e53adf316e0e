"""Run: whole jobs made of the stages: build a draft, return workbooks, chase list, history."""
