# Jupyter configuration of the project for Jupyter Server, i.e. Notebook 7 (the modern stack);
# see jupyter_notebook_config.py beside it for the classic Notebook. env.sh points
# JUPYTER_CONFIG_DIR here, so ~/.jupyter is not read.
import os
import sys

c = get_config()  # noqa: F821 (provided by Jupyter when it runs this file)
# Serve on the loopback interface only: nobody else on the network can reach the kernels.
c.ServerApp.ip = "127.0.0.1"
# The token is Jupyter's default: a random one at each start, printed in the URL to open
# (or $JUPYTER_TOKEN when set).
# Kernels run this environment's Python: only its own kernel specs are offered, not a "python3"
# kernel that a user folder (~/.local/share/jupyter) might name.
c.KernelSpecManager.kernel_dirs = [os.path.join(sys.prefix, "share", "jupyter", "kernels")]
