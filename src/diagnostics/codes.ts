/**
 * The catalogue of diagnostic codes. Codes are stable: once published a code
 * keeps its meaning. AE1xxx syntax, AE2xxx checking, AE3xxx data, files and targets.
 * Every code has a golden fixture in test/golden/ (a test enforces it).
 */
export interface CodeInfo {
  readonly severity: "error" | "warning";
  readonly title: string;
}

export const CODES = {
  // --- AE1xxx: lexing and parsing -------------------------------------------
  AE1001: { severity: "error", title: "unexpected character" },
  AE1002: { severity: "error", title: "unterminated string" },
  AE1003: { severity: "error", title: "unterminated block comment" },
  AE1004: { severity: "error", title: "invalid escape in string" },
  AE1005: { severity: "error", title: "invalid number" },
  AE1010: { severity: "error", title: "unexpected token" },
  AE1011: { severity: "error", title: "unexpected end of file" },
  AE1020: { severity: "error", title: "file too large" },
  AE1021: { severity: "error", title: "too many tokens" },
  AE1022: { severity: "error", title: "nesting too deep" },
  AE1023: { severity: "error", title: "expression too long" },

  // --- AE20xx: names, lets, models and sections -----------------------------
  AE2001: { severity: "error", title: "duplicate model" },
  AE2002: { severity: "error", title: "duplicate let" },
  AE2003: { severity: "error", title: "unknown name" },
  AE2004: { severity: "error", title: "let defined in terms of itself" },
  AE2005: { severity: "error", title: "unknown base model" },
  AE2006: { severity: "error", title: "cyclic extends" },
  AE2007: { severity: "error", title: "duplicate section" },
  AE2008: { severity: "error", title: "missing required section" },
  AE2009: { severity: "error", title: "no such model in file" },
  AE2010: { severity: "error", title: "arithmetic error" },
  AE2011: { severity: "error", title: "wrong kind of value" },

  // --- AE21xx: calls and arguments -------------------------------------------
  AE2101: { severity: "error", title: "unknown layer, bottleneck, loss, setting or option" },
  AE2102: { severity: "error", title: "unknown argument" },
  AE2103: { severity: "error", title: "positional argument after keyword argument" },
  AE2104: { severity: "error", title: "argument given twice" },
  AE2105: { severity: "error", title: "missing required argument" },
  AE2106: { severity: "error", title: "too many positional arguments" },
  AE2107: { severity: "error", title: "argument of the wrong type" },
  AE2108: { severity: "error", title: "argument out of range" },
  AE2109: { severity: "error", title: "setting given twice" },
  AE2110: { severity: "error", title: "block not allowed or missing" },
  AE2111: { severity: "error", title: "cosine schedule's min not below the learning rate" },

  // --- AE22xx: --set overrides ------------------------------------------------
  AE2201: { severity: "error", title: "malformed --set" },
  AE2202: { severity: "error", title: "--set names no such setting" },

  // --- AE23xx: shapes ---------------------------------------------------------
  AE2301: { severity: "error", title: "decoder output does not match input" },
  AE2302: { severity: "error", title: "layer needs an input of another rank" },
  AE2303: { severity: "error", title: "convolution leaves no output" },
  AE2304: { severity: "error", title: "reshape changes the element count" },
  AE2305: { severity: "error", title: "invalid input shape" },
  AE2306: { severity: "error", title: "invalid input range" },
  AE2307: { severity: "error", title: "ladder needs a vector input" },
  AE2308: { severity: "error", title: "mask does not fit the input" },
  AE2309: { severity: "error", title: "discriminator must output one logit" },

  // --- AE24xx: loss terms -----------------------------------------------------
  AE2401: { severity: "error", title: "kl needs a gaussian or ladder bottleneck" },
  AE2402: { severity: "error", title: "bernoulli needs inputs inside [0, 1]" },
  AE2403: { severity: "error", title: "reconstruction on masked needs mask corruption" },
  AE2404: { severity: "error", title: "loss term not available with a vq bottleneck" },
  AE2405: { severity: "error", title: "commitment needs a vq bottleneck" },
  AE2406: { severity: "error", title: "duplicate loss term" },
  AE2407: { severity: "error", title: "no reconstruction term" },

  // --- AE25xx: data -----------------------------------------------------------
  AE2501: { severity: "error", title: "data shape does not match input" },
  AE2502: { severity: "warning", title: "data range outside the declared input range" },
  AE2503: { severity: "warning", title: "data package not installed" },
  AE2504: { severity: "error", title: "test data that do not go with the training data" },

  // --- AE26xx: resource budget ------------------------------------------------
  AE2601: { severity: "error", title: "too many parameters" },
  AE2602: { severity: "error", title: "activations too large" },

  // --- AE27xx: lints (warnings) -----------------------------------------------
  AE2701: { severity: "warning", title: "identity map not discouraged" },
  AE2702: { severity: "warning", title: "latent large enough to memorise the data" },
  AE2703: { severity: "warning", title: "posterior collapse likely" },
  AE2704: { severity: "warning", title: "dead codes likely" },
  AE2705: { severity: "warning", title: "unused let" },
  AE2706: { severity: "warning", title: "learning-rate warm-up as long as the run" },

  // --- AE3xxx: files, data and targets ---------------------------------------
  AE3001: { severity: "error", title: "cannot read file" },
  AE3002: { severity: "error", title: "malformed NPY file" },
  AE3003: { severity: "error", title: "malformed IDX file" },
  AE3004: { severity: "error", title: "malformed CSV file" },
  AE3005: { severity: "error", title: "NaN or infinite value in data" },
  AE3006: { severity: "error", title: "data package not installed" },
  AE3007: { severity: "error", title: "malformed data package" },
  AE3008: { severity: "error", title: "data outside the input's range" },

  // --- AE31xx: training (targets/tfjs/train) ----------------------------------
  AE3101: { severity: "error", title: "no training data" },
  AE3102: { severity: "error", title: "not supported by this target yet" },
  AE3103: { severity: "error", title: "loss is NaN or infinite" },
  AE3104: { severity: "error", title: "cannot resume a run of another spec" },
  AE3105: { severity: "error", title: "no usable checkpoint to resume" },
  AE3106: { severity: "error", title: "cannot write the run directory" },
  AE3107: { severity: "warning", title: "posterior collapse: the latent carries almost no information" },
  AE3108: { severity: "warning", title: "codebook collapse" },
  AE3109: { severity: "warning", title: "adversarial code collapse: codes far narrower than the prior" },
  AE3110: { severity: "error", title: "run directory in use by another process" },
  AE3111: { severity: "error", title: "model too large for the backend's memory" },
  AE3112: { severity: "error", title: "the backend asked for is not available" },
  AE3113: { severity: "error", title: "no Python with torch and numpy for the PyTorch target" },
  AE3114: { severity: "error", title: "the PyTorch trainer stopped" },

  // --- AE32xx: ONNX export (targets/onnx) --------------------------------------
  AE3201: { severity: "error", title: "not expressible in ONNX by this exporter" },
  AE3202: { severity: "error", title: "cannot read the run to export" },
  AE3203: { severity: "error", title: "cannot write the ONNX file" },
  AE3204: { severity: "error", title: "data does not fit the model's input" },
  AE3205: { severity: "error", title: "cannot write the output file" },
  AE3206: { severity: "error", title: "onnxruntime is not installed" },
  AE3207: { severity: "error", title: "the encoder has no such output" },

  // --- AE33xx: evaluation (aespec eval) ----------------------------------------
  AE3301: { severity: "error", title: "cannot read the run to evaluate" },
  AE3302: { severity: "error", title: "cannot write the report" },
  AE3303: { severity: "error", title: "cannot score the anomaly class" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
