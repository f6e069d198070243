"""From basket to placed order: the basket, where it goes, how it is paid, the summary, a reorder."""
