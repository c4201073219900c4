"""Fine-tuning on slow→fast pairs: SFT and DPO (LoRA through peft) under PyTorch Lightning.

``optbench.train.data`` builds the training records (no torch needed); the modules and
``optbench.train.fit.train`` need the ``train`` extra. A trained model is a model like any
other: ``hf:<out dir>``.
"""

from optbench.train.config import DPOConfig, SFTConfig, TrainConfig

__all__ = ["DPOConfig", "SFTConfig", "TrainConfig"]
