/** The public `callbacks` namespace. */
export { CallbackList, lazyLogs, type Callback, type CallbackModel, type LazyLogs, type Logs, type TrainingParams } from './callback.js';
export { History } from './history.js';
export { ProgbarLogger, type ProgbarOptions, type ProgressStream } from './progbar.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early_stopping.js';
export { LearningRateScheduler, type LearningRateSchedulerOptions } from './lr_scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
export { CSVLogger, csvLogger, type CSVLoggerOptions } from './csv_logger.js';
export { LambdaCallback, lambdaCallback, type LambdaCallbackOptions } from './lambda_callback.js';
export { TerminateOnNaN, terminateOnNaN, type TerminateOnNaNOptions } from './terminate_on_nan.js';
export { ModelCheckpoint, modelCheckpoint, type ModelCheckpointOptions } from './model_checkpoint.js';
