"""guidebot: social-media guidelines at the moment of posting."""
