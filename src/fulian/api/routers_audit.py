"""Skeleton (issue 21): filled in by the level-3 controls work."""

from ninja import Router

router = Router()
