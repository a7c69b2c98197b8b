package ollamatest

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/rand"
	"os"
	"slices"

	"github.com/ollama/ollama/fs/ggml"
	"github.com/x448/float16"
)

// modelParams shapes a generated model. Its printed value is part of the
// cache key, so changing a field regenerates the cached files.
type modelParams struct {
	EOS    bool // emit </s> after one sentence (done_reason "stop")
	Layers int
	Embd   int // multiple of Heads, > len(cycleWords)+1
	Heads  int
	FF     int
	Ctx    int // context_length in the GGUF metadata
}

// cycleWords is the sentence the models repeat: " Hello from a tiny test model."
var cycleWords = []string{"▁Hello", "▁from", "▁a", "▁tiny", "▁test", "▁model", "."}

// tinyParams returns the parameters of the two models the harness serves.
func tinyParams(eos bool) modelParams {
	return modelParams{EOS: eos, Layers: 2, Embd: 64, Heads: 4, FF: 128, Ctx: 4096}
}

// f32 and f16 are tensor payloads; f16 stores the values as IEEE half
// floats, like a real conversion does for matrices.
type (
	f32 []float32
	f16 []float32
)

func (d f32) WriteTo(w io.Writer) (int64, error) {
	if err := binary.Write(w, binary.LittleEndian, []float32(d)); err != nil {
		return 0, err
	}
	return int64(4 * len(d)), nil
}

func (d f16) WriteTo(w io.Writer) (int64, error) {
	h := make([]uint16, len(d))
	for i, v := range d {
		h[i] = float16.Fromfloat32(v).Bits()
	}
	if err := binary.Write(w, binary.LittleEndian, h); err != nil {
		return 0, err
	}
	return int64(2 * len(d)), nil
}

// vocab is a SentencePiece ("llama") vocabulary. Token strings must be
// unique: a duplicate passes `ollama create` and then crashes the server.
type vocab struct {
	tokens []string
	scores []float32
	types  []int32
}

func (v *vocab) add(s string, score float32, typ int32) int {
	v.tokens = append(v.tokens, s)
	v.scores = append(v.scores, score)
	v.types = append(v.types, typ)
	return len(v.tokens) - 1
}

// newVocab builds <unk> <s> </s>, the byte tokens, printable ASCII and the
// cycle words; it returns the ids of </s> and of the cycle words in order.
func newVocab() (v *vocab, eosID int, cycle []int) {
	v = &vocab{}
	v.add("<unk>", 0, 2)
	v.add("<s>", 0, 3)
	eosID = v.add("</s>", 0, 3)
	for b := 0; b < 256; b++ {
		v.add(fmt.Sprintf("<0x%02X>", b), 0, 6)
	}
	v.add("▁", -1, 1)
	for c := 33; c < 127; c++ {
		v.add(string(rune(c)), -2, 1)
	}
	cycle = make([]int, len(cycleWords))
	for i, w := range cycleWords {
		if cycle[i] = slices.Index(v.tokens, w); cycle[i] < 0 { // "." already exists
			cycle[i] = v.add(w, -0.5, 1)
		}
	}
	return v, eosID, cycle
}

// writeTinyGGUF writes a llama-architecture model whose attention and FFN
// output projections are zero, so the residual stream is the current
// token's embedding and the model is a deterministic bigram machine walking
// around cycleWords. The other weights are small random values so every
// matmul still runs for real.
func writeTinyGGUF(path string, p modelParams) error {
	if len(cycleWords) >= p.Embd-1 || p.Embd%p.Heads != 0 {
		return fmt.Errorf("ollamatest: bad model shape %+v", p)
	}
	rng := rand.New(rand.NewSource(42))
	v, eosID, cycle := newVocab()
	embd, output := bigramWeights(rng, p, len(v.tokens), eosID, cycle)

	ts := []*ggml.Tensor{
		tensor("token_embd.weight", embd, p.Embd, len(v.tokens)),
		tensor("output_norm.weight", ones(p.Embd), p.Embd),
		tensor("output.weight", output, p.Embd, len(v.tokens)),
	}
	for l := 0; l < p.Layers; l++ {
		ts = append(ts, block(rng, fmt.Sprintf("blk.%d.", l), p)...)
	}

	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("ollamatest: write model: %w", err)
	}
	if err := ggml.WriteGGUF(f, modelKV(p, v, eosID), ts); err != nil {
		f.Close()
		return fmt.Errorf("ollamatest: write model %s: %w", path, err)
	}
	return f.Close()
}

// bigramWeights returns the token embeddings and the output head: cycle
// word i embeds as one-hot e_i, every other token as e_default plus noise,
// and logit(next) = 10·<e_prev, h>, so anything outside the cycle leads to
// its first word.
func bigramWeights(rng *rand.Rand, p modelParams, nVocab, eosID int, cycle []int) (embd, output f32) {
	E, defaultDim := p.Embd, p.Embd-1
	pos := map[int]int{}
	for i, id := range cycle {
		pos[id] = i
	}
	embd = make(f32, E*nVocab)
	for t := 0; t < nVocab; t++ {
		row := embd[t*E : (t+1)*E]
		if i, ok := pos[t]; ok {
			row[i] = 1
			continue
		}
		row[defaultDim] = 1
		for j := len(cycle); j < defaultDim; j++ {
			row[j] = float32(rng.NormFloat64() * 0.02)
		}
	}

	const sharp = 10
	output = make(f32, E*nVocab)
	for i, id := range cycle {
		prev := (i + len(cycle) - 1) % len(cycle)
		if i == 0 && p.EOS {
			continue // the sentence end leads to </s> instead of looping
		}
		output[id*E+prev] = sharp
	}
	output[cycle[0]*E+defaultDim] = sharp
	if p.EOS {
		output[eosID*E+len(cycle)-1] = sharp
	}
	return embd, output
}

func block(rng *rand.Rand, prefix string, p modelParams) []*ggml.Tensor {
	E, FF := p.Embd, p.FF
	return []*ggml.Tensor{
		tensor(prefix+"attn_norm.weight", ones(E), E),
		tensor(prefix+"attn_q.weight", randn(rng, E*E), E, E),
		tensor(prefix+"attn_k.weight", randn(rng, E*E), E, E),
		tensor(prefix+"attn_v.weight", randn(rng, E*E), E, E),
		tensor(prefix+"attn_output.weight", make(f32, E*E), E, E),
		tensor(prefix+"ffn_norm.weight", ones(E), E),
		tensor(prefix+"ffn_gate.weight", randn(rng, E*FF), E, FF),
		tensor(prefix+"ffn_up.weight", randn(rng, E*FF), E, FF),
		tensor(prefix+"ffn_down.weight", make(f32, FF*E), FF, E),
	}
}

func modelKV(p modelParams, v *vocab, eosID int) ggml.KV {
	return ggml.KV{
		"general.architecture":                   "llama",
		"general.name":                           "tiny-test",
		"general.file_type":                      uint32(1), // mostly F16
		"general.alignment":                      uint32(32),
		"llama.vocab_size":                       uint32(len(v.tokens)),
		"llama.context_length":                   uint32(p.Ctx),
		"llama.embedding_length":                 uint32(p.Embd),
		"llama.block_count":                      uint32(p.Layers),
		"llama.feed_forward_length":              uint32(p.FF),
		"llama.attention.head_count":             uint32(p.Heads),
		"llama.attention.head_count_kv":          uint32(p.Heads),
		"llama.rope.dimension_count":             uint32(p.Embd / p.Heads),
		"llama.rope.freq_base":                   float32(10000),
		"llama.attention.layer_norm_rms_epsilon": float32(1e-5),
		"tokenizer.ggml.model":                   "llama",
		"tokenizer.ggml.tokens":                  v.tokens,
		"tokenizer.ggml.scores":                  v.scores,
		"tokenizer.ggml.token_type":              v.types,
		"tokenizer.ggml.bos_token_id":            uint32(1),
		"tokenizer.ggml.eos_token_id":            uint32(eosID),
		"tokenizer.ggml.unknown_token_id":        uint32(0),
		"tokenizer.ggml.add_bos_token":           true,
		"tokenizer.ggml.add_eos_token":           false,
	}
}

// tensor stores matrices as F16 and vectors (norms) as F32.
func tensor(name string, data f32, shape ...int) *ggml.Tensor {
	s := make([]uint64, len(shape))
	for i, n := range shape {
		s[i] = uint64(n)
	}
	if len(shape) == 2 {
		return &ggml.Tensor{Name: name, Kind: uint32(ggml.TensorTypeF16), Shape: s, WriterTo: f16(data)}
	}
	return &ggml.Tensor{Name: name, Kind: uint32(ggml.TensorTypeF32), Shape: s, WriterTo: data}
}

func ones(n int) f32 {
	v := make(f32, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

func randn(rng *rand.Rand, n int) f32 {
	v := make(f32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() * 0.05)
	}
	return v
}
