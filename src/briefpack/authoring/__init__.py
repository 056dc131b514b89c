"""Writing packs: new, import, the YAML writer, watch and preview."""
