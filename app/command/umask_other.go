//go:build !unix

package command

// privateFiles does nothing where there is no umask (Windows: the data
// dir's ACLs are the operator's).
func privateFiles() {}
