"""From the model to bytes: one renderer per format, the theme, and the wording."""
