package ollama

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm"
)

// maxLine bounds one NDJSON chunk; a reply's chunk is a token or a few.
const maxLine = 1 << 20

// readers keeps the small buffered readers of finished streams: the api
// client's own stream allocates (and zeroes) an 8 MiB buffer per call,
// which at tens of concurrent turns costs more CPU than the rest of a turn.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// chatChunk is one line of /api/chat's stream: a response or an error.
type chatChunk struct {
	api.ChatResponse
	Error     string `json:"error,omitempty"`
	SigninURL string `json:"signin_url,omitempty"`
}

// streamChat posts req to /api/chat and calls fn for every chunk, with the
// api package's types and errors (api.StatusError, api.AuthorizationError)
// so classify treats both paths alike.
func (h *Host) streamChat(ctx context.Context, req *api.ChatRequest, fn func(api.ChatResponse) error) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(h.url, "/")+"/api/chat", bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/x-ndjson")
	res, err := h.http.Do(hr)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	br := readers.Get().(*bufio.Reader)
	br.Reset(res.Body)
	defer func() { br.Reset(nil); readers.Put(br) }()
	var long []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A chunk longer than the buffer: gather it, bounded.
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) && len(long) <= maxLine {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			if len(long) > maxLine {
				return llm.Errorf(llm.KindBadResponse, h.url, nil, "a streamed chunk from %s is over %d bytes", h.url, maxLine)
			}
			line = long
		}
		if ctx.Err() != nil {
			// Chunks already buffered are not delivered after a cancel.
			return ctx.Err()
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if cerr := h.chunk(res, line, fn); cerr != nil {
				return cerr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// chunk decodes one line once and reports it like the api client does.
func (h *Host) chunk(res *http.Response, line []byte, fn func(api.ChatResponse) error) error {
	var c chatChunk
	if err := json.Unmarshal(line, &c); err != nil {
		// Not Ollama's format: the text is kept for logs only.
		return streamError{status: res.StatusCode, text: string(bytes.TrimSpace(line))}
	}
	switch {
	case res.StatusCode == http.StatusUnauthorized:
		return api.AuthorizationError{StatusCode: res.StatusCode, Status: res.Status, SigninURL: c.SigninURL}
	case res.StatusCode >= http.StatusBadRequest || c.Error != "":
		return streamError{status: res.StatusCode, text: c.Error, structured: true}
	}
	return fn(c.ChatResponse)
}
