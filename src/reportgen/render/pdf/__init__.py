"""The tagged PDF: Jinja2 HTML laid out by WeasyPrint, in parts on worker processes, joined."""
