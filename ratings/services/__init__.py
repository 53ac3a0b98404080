"""Writes of the ratings stage: publicity, confirmation, publication, certificates.

Every application state change goes through ``assessments.workflow.advance``.
"""
