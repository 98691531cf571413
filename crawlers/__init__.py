"""The Scrapy project: one spider per source, shared mixins, pipelines that normalise and store documents."""
