"""Pages: the theme, its templates, and every page of the site rendered through them."""
