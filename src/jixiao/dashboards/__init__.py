"""Dashboards (结果运用): chart data built from published results, and public disclosure.

No models: everything is read from published assessments (Subject rows and the
breakdown JSON stored on them), the inspection ledger and the target milestones.
"""
