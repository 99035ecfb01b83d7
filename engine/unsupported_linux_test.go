package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckPlatformLinux(t *testing.T) {
	assert.NoError(t, checkPlatform())
}
