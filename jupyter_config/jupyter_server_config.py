# Jupyter configuration of the project for Jupyter Server, i.e. Notebook 7 (the modern stack);
# see jupyter_notebook_config.py beside it for the classic Notebook. env.sh points
# JUPYTER_CONFIG_DIR here, so ~/.jupyter is not read.
c = get_config()  # noqa: F821 (provided by Jupyter when it runs this file)
# Serve on the loopback interface only: nobody else on the network can reach the kernels.
c.ServerApp.ip = "127.0.0.1"
# The token is Jupyter's default: a random one at each start, printed in the URL to open
# (or $JUPYTER_TOKEN when set).
# Containers and CI run as root, where Jupyter refuses to start without this; the server
# is reachable from this machine only, and only with the token.
c.ServerApp.allow_root = True
