# Jupyter configuration of the project, read by `./env.sh jupyter notebook ...` (env.sh points
# JUPYTER_CONFIG_DIR here, so ~/.jupyter is not read). This file configures the classic Notebook
# (6.x, the pinned and tf1 stacks); jupyter_server_config.py beside it does the same for
# Notebook 7 (the modern stack), which also reads this file, hence the version check.
import notebook

if int(notebook.__version__.split(".")[0]) < 7:
    c = get_config()  # noqa: F821 (provided by Jupyter when it runs this file)
    # Serve on the loopback interface only: nobody else on the network can reach the kernels.
    c.NotebookApp.ip = "127.0.0.1"
    # The token is Jupyter's default: a random one at each start, printed in the URL to open
    # (or $JUPYTER_TOKEN when set).
    # Containers and CI run as root, where Jupyter refuses to start without this; the server
    # is reachable from this machine only, and only with the token.
    c.NotebookApp.allow_root = True
