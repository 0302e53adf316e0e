"""Paper: build_paper decides all the paper says, the one model every renderer draws."""
