"""Stage 4, events: who did what to whom, coded in PLOVER with the CAMEO crosswalk, with modality and claimant."""
