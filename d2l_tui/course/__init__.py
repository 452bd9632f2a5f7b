"""The course: lesson files, their parsing and validation. Pure Python, no Textual."""
