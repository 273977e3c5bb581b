"""Plain typed function views, one module per step of the year.

Views stay thin: they check access (``jixiao.organisation.access``), read through
selectors, write through services, and render a page or, for htmx requests, its
partial.
"""
