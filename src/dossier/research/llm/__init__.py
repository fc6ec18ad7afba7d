"""The bring-your-own language model behind the Answerer port: chat client, prompt, answerer, research loop, meters."""
