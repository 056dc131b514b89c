"""The full pack as a book of parts: planned, rendered part by part, joined.

An edit renders again only the part it touched, and the parts render on
several workers at once.  The steps, each in a module of its own:

1. :mod:`~briefpack.render.book.parts` plans which parts a book has (front
   matter, each session, the contents, the sheet of page numbers), the HTML
   of each and the key that says when a cached part still holds.
2. :mod:`~briefpack.render.book.steps` is what a build's worker runs: render one
   part, count its pages, join them.
3. :mod:`~briefpack.render.book.join` joins the parts' pages into one PDF with one
   structure tree, outline and set of destinations, and lays the page numbers
   over each page (:mod:`~briefpack.render.book.overlay`), with each font shared
   across the parts (:mod:`~briefpack.render.book.shared_fonts`); the pre-reads'
   pages are drawn into the places kept for them
   (:mod:`~briefpack.render.book.pre_reads`).
"""
