"""``jobframe-lint server``: the check, the frames and the fixes, live in an editor.

``session`` holds the canon as the editor sees it (files on disk overlaid by open buffers)
and answers in the loader's positions; ``lines`` converts them to the editor's; ``app`` is
the Language Server Protocol side, on pygls, the only module that imports it.
"""
