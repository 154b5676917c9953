"""Gather every theme's cues in one tuple, in the order of the themes (see cue_kit.py)."""

from .contact_cues import HUMAN_CONTACT
from .site_cues import FINDABILITY, RETURNS, SPEED
from .unresolved_cues import UNRESOLVED
from .waiting_cues import WAITING

CUES = (*SPEED, *FINDABILITY, *UNRESOLVED, *RETURNS, *WAITING, *HUMAN_CONTACT)
