"""Finding food: the screens from where to look to how many, each module its screens whole."""
