//! Loading and running the ONNX models with tract (pure Rust; large matrix products on rayon's pool).
//!
//! The model files are compiled into the binary from `assets/models/` (see its README for
//! provenance and licences), so a booth install is one file and nothing is fetched at run time.

use std::sync::{Arc, Mutex, OnceLock};

use tract_linalg::multithread::{Executor, multithread_tract_scope};
use tract_onnx::prelude::*;
use tract_onnx::tract_core::tract_data::knobs::KnobScope;

/// Why a model could not be loaded or run.
#[derive(Clone, Debug)]
pub enum ModelError {
    /// The embedded model did not load; the binary is broken.
    Load {
        /// Model name.
        name: &'static str,
        /// tract's message.
        message: String,
    },
    /// Inference failed.
    Run {
        /// Model name.
        name: &'static str,
        /// tract's message.
        message: String,
    },
}

/// An embedded model, loaded and optimised on its first use: a command never pays for a model
/// it does not run (a plain backdrop never needs MODNet, a near face never the full-range
/// detector), and a one-photo command starts at once.
pub(crate) struct LazyModel {
    name: &'static str,
    bytes: &'static [u8],
    /// The input shape to fix before optimising, for a model whose size is symbolic.
    input_shape: Option<&'static [usize]>,
    /// Whether its matrix products are split over rayon's pool (worth it for a large model
    /// only: a small one loses more to waking the pool than it gains).
    threaded: bool,
    /// Held while the model loads, so that a thread needing it waits for a load already under
    /// way on another thread instead of starting a second one.
    loading: Mutex<()>,
    loaded: OnceLock<OnnxModel>,
}

impl LazyModel {
    /// A model whose input shape the file fixes.
    pub(crate) const fn new(name: &'static str, bytes: &'static [u8]) -> LazyModel {
        LazyModel::with(name, bytes, None, false)
    }

    /// A large model whose input size is symbolic, fixed to `input_shape`; run on every core.
    pub(crate) const fn large_with_input_shape(
        name: &'static str,
        bytes: &'static [u8],
        input_shape: &'static [usize],
    ) -> LazyModel {
        LazyModel::with(name, bytes, Some(input_shape), true)
    }

    const fn with(
        name: &'static str,
        bytes: &'static [u8],
        input_shape: Option<&'static [usize]>,
        threaded: bool,
    ) -> LazyModel {
        LazyModel { name, bytes, input_shape, threaded, loading: Mutex::new(()), loaded: OnceLock::new() }
    }

    /// The model, loading it now if this is its first use.
    pub(crate) fn get(&self) -> Result<&OnnxModel, ModelError> {
        if let Some(model) = self.loaded.get() {
            return Ok(model);
        }
        let _loading = self.loading.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(model) = self.loaded.get() {
            return Ok(model);
        }
        let model = match self.input_shape {
            Some(shape) => OnnxModel::load_with_input_shape(self.name, self.bytes, shape)?,
            None => OnnxModel::load(self.name, self.bytes)?,
        };
        Ok(self.loaded.get_or_init(|| model))
    }

    /// Runs the model (loading it first if need be) on one f32 input; every output flattened.
    pub(crate) fn run(&self, shape: &[usize], input: &[f32]) -> Result<Vec<Vec<f32>>, ModelError> {
        let executor = if self.threaded { Executor::RayonGlobal } else { Executor::SingleThread };
        let model = self.get()?;
        multithread_tract_scope(executor, || model.run(shape, input))
    }
}

/// Types and simplifies a loaded model, puts our faster ops in place of tract's slow ones
/// ([`model_ops`](super::model_ops)), then optimises it for this machine.
///
/// Two of tract's convolution choices are turned for MODNet (the only NCHW model; the others
/// are NHWC, which these knobs leave alone): its direct spatial convolution is slower here
/// than im2col and a matrix product, and the register-blocked one faster (MODNet's run on two
/// cores: 201 ms with tract's defaults, 165 ms with both, the resizes already ours).
fn optimise(model: InferenceModel) -> TractResult<Arc<TypedRunnableModel>> {
    let mut model = model.into_typed()?.into_decluttered()?;
    super::model_ops::replace_slow_ops(&mut model)?;
    let knobs = KnobScope::new([("TRACT_DISABLE_DIRECT_SPATIAL", "1"), ("TRACT_ENABLE_BLOCKED_CONV", "1")])?;
    let mut model = knobs.enter(|| model.into_optimized())?;
    super::model_ops::replace_slow_ops(&mut model)?;
    model.into_runnable()
}

/// One optimized ONNX model ready to run.
pub(crate) struct OnnxModel {
    name: &'static str,
    plan: Arc<TypedRunnableModel>,
}

impl OnnxModel {
    /// Loads and optimizes a model from its bytes.
    pub(crate) fn load(name: &'static str, bytes: &[u8]) -> Result<OnnxModel, ModelError> {
        let load = || -> TractResult<Arc<TypedRunnableModel>> {
            optimise(tract_onnx::onnx().model_for_read(&mut &bytes[..])?)
        };
        let plan = load().map_err(|e| ModelError::Load { name, message: format!("{e:#}") })?;
        Ok(OnnxModel { name, plan })
    }

    /// Loads a model whose input size is symbolic, fixing it to `input_shape` first.
    pub(crate) fn load_with_input_shape(
        name: &'static str,
        bytes: &[u8],
        input_shape: &[usize],
    ) -> Result<OnnxModel, ModelError> {
        let load = || -> TractResult<Arc<TypedRunnableModel>> {
            let model = tract_onnx::onnx()
                .model_for_read(&mut &bytes[..])?
                .with_input_fact(0, f32::fact(input_shape).into())?;
            optimise(model)
        };
        let plan = load().map_err(|e| ModelError::Load { name, message: format!("{e:#}") })?;
        Ok(OnnxModel { name, plan })
    }

    /// Runs the model on the calling thread's tract executor; every output flattened.
    fn run(&self, shape: &[usize], input: &[f32]) -> Result<Vec<Vec<f32>>, ModelError> {
        let run = || -> TractResult<Vec<Vec<f32>>> {
            let tensor = Tensor::from_shape(shape, input)?;
            let outputs = self.plan.run(tvec!(tensor.into()))?;
            outputs.iter().map(|t| Ok(t.to_plain_array_view::<f32>()?.iter().copied().collect())).collect()
        };
        run().map_err(|e| ModelError::Run { name: self.name, message: format!("{e:#}") })
    }
}
