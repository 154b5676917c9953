"""Gather every theme's cues in one tuple, in the order of the themes (see cue_kit.py)."""

from .contact_cues import HUMAN_CONTACT
from .service_cues import UNRESOLVED, WAITING
from .site_cues import FINDABILITY, RETURNS, SPEED

CUES = (*SPEED, *FINDABILITY, *UNRESOLVED, *RETURNS, *WAITING, *HUMAN_CONTACT)
