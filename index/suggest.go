package index

type suggestCache struct{}

func (c *suggestCache) invalidate() {}
