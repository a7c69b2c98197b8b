package store

import (
	"context"
	"encoding/json"
	"time"
)

// Discussion modes.
const (
	ModeSingle    = "single"
	ModeParallel  = "parallel"
	ModeConsensus = "consensus"
)

// Message statuses.
const (
	StatusStreaming   = "streaming"
	StatusDone        = "done"
	StatusStopped     = "stopped"
	StatusError       = "error"
	StatusInterrupted = "interrupted"
)

// Discussion is a conversation between people and personas.
type Discussion struct {
	ID                 string
	TenantID           string
	Title              string
	Mode               string
	PersonaIDs         []string
	ModeratorPersonaID string
	MaxRounds          int
	Threshold          float64
	CreatedBy          string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Message is one contribution; assistant messages are written while they
// stream and finished with a final status.
type Message struct {
	ID           string
	TenantID     string
	DiscussionID string
	Seq          int64
	TurnID       string
	Role         string // user, assistant, moderator
	PersonaID    string
	AuthorID     string
	Content      string
	Status       string
	Round        int
	ProviderID   string
	Model        string
	Usage        json.RawMessage
	Error        string
	Metadata     json.RawMessage
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MessageUpdate is a streaming flush or the final write of a message.
type MessageUpdate struct {
	Content  string
	Status   string
	Usage    json.RawMessage // nil leaves it
	Error    string
	Metadata json.RawMessage // nil leaves it
}

// Round is the agreement measured after one consensus round.
type Round struct {
	TenantID     string
	DiscussionID string
	TurnID       string
	Round        int
	Agreement    float64
	Method       string
	Explanation  string
	CreatedAt    time.Time
}

// DiscussionStore holds discussions. Tenancy as for Store.
type DiscussionStore interface {
	CreateDiscussion(ctx context.Context, d Discussion) (*Discussion, error)
	GetDiscussion(ctx context.Context, tenantID, id string) (*Discussion, error)
	// ListDiscussions returns the tenant's discussions, most recent first;
	// query, when set, matches titles and message text case-insensitively.
	ListDiscussions(ctx context.Context, tenantID, query string, limit int) ([]Discussion, error)
	RenameDiscussion(ctx context.Context, tenantID, id, title string) (*Discussion, error)
	DeleteDiscussion(ctx context.Context, tenantID, id string) error
	// AddMessage appends m (its Seq is assigned) and touches the discussion.
	AddMessage(ctx context.Context, m Message) (*Message, error)
	UpdateMessage(ctx context.Context, tenantID, id string, u MessageUpdate) (*Message, error)
	// ListMessages returns up to limit messages with Seq > after, in order.
	ListMessages(ctx context.Context, tenantID, discussionID string, after int64, limit int) ([]Message, error)
	AddRound(ctx context.Context, r Round) error
	ListRounds(ctx context.Context, tenantID, discussionID string) ([]Round, error)
	// InterruptStreaming marks the tenant's messages still "streaming" as
	// "interrupted" (after a crash or shutdown) and returns how many.
	InterruptStreaming(ctx context.Context, tenantID string) (int, error)
}
