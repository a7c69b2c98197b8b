package certs

import (
	"context"
	"log/slog"
	"slices"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// zapToSlog routes certmagic's zap logs (warnings and errors; the
// outcomes that matter are logged by onEvent) to the server's slog logger.
func zapToSlog(l *slog.Logger) *zap.Logger {
	return zap.New(slogCore{log: l, min: zapcore.WarnLevel})
}

type slogCore struct {
	log    *slog.Logger
	min    zapcore.Level
	fields []zapcore.Field
}

func (c slogCore) Enabled(l zapcore.Level) bool { return l >= c.min }

func (c slogCore) With(f []zapcore.Field) zapcore.Core {
	c.fields = append(slices.Clip(c.fields), f...)
	return c
}

func (c slogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c slogCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range append(slices.Clip(c.fields), fields...) {
		f.AddTo(enc)
	}
	args := make([]any, 0, 2*len(enc.Fields))
	for k, v := range enc.Fields {
		args = append(args, k, v)
	}
	level := slog.LevelWarn
	if e.Level >= zapcore.ErrorLevel {
		level = slog.LevelError
	}
	c.log.Log(context.Background(), level, "certmagic: "+e.LoggerName+": "+e.Message, args...)
	return nil
}

func (c slogCore) Sync() error { return nil }
