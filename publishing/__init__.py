"""The brand's own posts: compose, approve, schedule, publish exactly once, measure."""
