"""The Word copy: the writer, its styles, and the OOXML python-docx lacks."""
