"""RFP engagement: each RFP's engagement class, dates and outcome, and their analysis."""
