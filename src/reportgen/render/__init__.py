"""Render: the paper model laid out as DOCX, PDF, HTML and xlsx; renderers decide no content."""
