"""Rankings of published assessments and the 001 monthly task-force competition.

No models here: rankings are read from the Subject rows of assessments under
public notice or final; a published competition is stored by ``jixiao.results``.
"""
