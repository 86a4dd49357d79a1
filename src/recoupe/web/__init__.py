"""The web app: browse stories and their briefings (``recoupe serve``)."""
