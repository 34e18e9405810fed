"""The 单位设置 profile: one file per county (or district) that every command reads.

``from kongchuo_docs.profile import Profile, load_profile, find_profile_path``
"""

from .load import EXCEL_NAME, find_profile_path, load_profile, user_config_dir
from .model import PROFILE_NAME, TODAY, Profile, School, Township

__all__ = ["EXCEL_NAME", "PROFILE_NAME", "TODAY", "Profile", "School", "Township", "find_profile_path",
           "load_profile", "user_config_dir"]
