"""From a source's frames to a tile's image: routing, mailboxes, decoding, health, back-off. No Qt."""
