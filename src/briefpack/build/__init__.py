"""Planning outputs, skipping those up to date, rendering on workers, writing safely."""
