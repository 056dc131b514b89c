"""From text on disk to the model: loading, validation, Markdown, pictures, slugs."""
