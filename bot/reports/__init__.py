"""Reports (issue 7): read the facts, build with handlers/reports, render as Markdown, HTML, CSV, PNG or Word.

``pipeline.produce`` builds reports in one transaction; ``render.render`` turns one into bytes; ``demo.write_reports``
writes them all for the demo; ``poster.FilePoster`` lets `/aftercare report KIND` post them into a conversation.
"""
